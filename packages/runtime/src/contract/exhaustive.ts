/**
 * `true` when the const array `A` lists every member of the union `U` (and, by its constraint, nothing
 * else); otherwise `{ missing: ... }`, which {@link Assert} refuses at compile time naming what is
 * missing. Ties a type to the array that lists it at run time:
 * `type _Tied = Assert<ListsEvery<keyof RateLimit, typeof RATE_LIMIT_KEYS>>;`
 */
export type ListsEvery<U, A extends readonly U[]> = [Exclude<U, A[number]>] extends [never] ? true : { missing: Exclude<U, A[number]> };

/** Compiles only when `T` is `true`: see {@link ListsEvery}. */
export type Assert<T extends true> = T;
