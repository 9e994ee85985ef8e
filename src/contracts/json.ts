/**
 * A wire type as the web console receives it: the console endpoint sends JSON, so a `Date` arrives as its ISO
 * string and a blob as whatever JSON made of the bytes (read it with the client's blob helpers).
 */
export type Json<T> = T extends Date
  ? string
  : T extends Uint8Array
    ? unknown
    : T extends readonly (infer Item)[]
      ? Json<Item>[]
      : T extends object
        ? { [Key in keyof T]: Json<T[Key]> }
        : T;

/**
 * A model type with the members Bursar always returns, though AWS's model leaves them optional (callers may rely
 * on them being there).
 */
export type Returned<T, Key extends keyof T> = T & Required<Pick<T, Key>>;
