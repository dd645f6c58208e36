export { renderReport, BAND_COLOURS } from './render-report.js';
export { escapeHtml } from './page-shell.js';
export { renderStudy, type StudyChart, type StudyPage, type StudySection } from './render-study.js';
export { drawdownOf, segmentsOf } from './report-data.js';
export type {
  ReportData, ReportExitMode, ReportPriceSeries, ReportRun, ReportSection, ReportSeriesPoint, ReportStance, ReportTable, ReportTrade, TimelinePoint,
} from './report-data.js';
