/** Is `u` a JSON object (not an array, not null)? Shared by every module that reads bodies. */
export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)
