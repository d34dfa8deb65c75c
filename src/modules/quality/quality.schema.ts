// Tables of the quality module.
// biome-ignore lint/complexity/noBannedTypes: filled in as the module's tables land
export type QualityTables = {};
