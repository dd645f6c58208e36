export { renderReport, escapeHtml, BAND_COLOURS } from './render-report.js';
export { drawdownOf, segmentsOf } from './report-data.js';
export type {
  ReportData, ReportExitMode, ReportPriceSeries, ReportRun, ReportSection, ReportSeriesPoint, ReportStance, ReportTable, ReportTrade, TimelinePoint,
} from './report-data.js';
