/**
 * A whole-number setting read from the environment: `fallback` when unset or empty; any other
 * text outside `min`–`max` is refused with the variable's name, so a typo stops the start-up
 * instead of being taken for the default.
 */
export function wholeNumberFromEnv(env: NodeJS.ProcessEnv, name: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text.slice(0, 20))}`);
  return value;
}
