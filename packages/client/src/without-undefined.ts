/** `T` with its optional properties no longer admitting `undefined` (the generated types' reading of optional). */
export type WithoutUndefined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/**
 * Drops properties whose value is undefined. Zod infers an optional field as `x?: T | undefined`; the types
 * generated from the OpenAPI document say `x?: T` (strict under exactOptionalPropertyTypes); on the wire the
 * two are the same, since JSON has no undefined.
 */
export function withoutUndefined<T extends object>(value: T): WithoutUndefined<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as WithoutUndefined<T>;
}
