export { renderReport, escapeHtml, BAND_COLOURS } from './render-report.js';
export { drawdownOf, segmentsOf } from './report-data.js';
export type { ReportData, ReportRun, ReportSeriesPoint, TimelinePoint } from './report-data.js';
