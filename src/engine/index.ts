/** The engine's public surface: what the CLI, server, interop and web app import. */
export * from './model/case.ts';
export * from './model/validation.ts';
export * from './model/explained.ts';
export * from './evaluate.ts';
export * from './grade.ts';
export * from './stage.ts';
export * from './margins.ts';
export * from './version.ts';
export { SOURCES, type SourceId, type EvidenceLevel } from './tables/sources.ts';
export { ORGANS, ORGANS_BY_ID, ORGAN_IDS, COMPARTMENTS, STRUCTURES, type Organ, type CompartmentId } from './tables/anatomy.ts';
export { MARKERS, MARKER_NAMES, type MarkerName } from './tables/markers.ts';
export { HISTOLOGIES, histologyByCode, type HistologyDefinition, type DiagnosticCategory } from './tables/histology.ts';
export { STAGE_GROUP_TABLE, T_CATEGORIES, type StageGroup, type TCategory } from './tables/ajcc8.ts';
