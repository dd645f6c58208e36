export { renderReport, escapeHtml, BAND_COLOURS } from './render-report.js';
export { drawdownOf, segmentsOf } from './report-data.js';
export type { ReportData, ReportExitMode, ReportRun, ReportSeriesPoint, ReportStance, TimelinePoint } from './report-data.js';
