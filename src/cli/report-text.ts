/** The text report lives in src/report (shared by the CLI, the server and the web app). */
export { renderTextReport } from '../report/text.ts';
