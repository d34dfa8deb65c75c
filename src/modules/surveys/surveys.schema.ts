// Tables of the surveys module.
// biome-ignore lint/complexity/noBannedTypes: filled in as the module's tables land
export type SurveysTables = {};
