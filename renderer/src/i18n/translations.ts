/** The shape every language must fill: the English texts' keys, each a string. Missing keys fail to compile. */
export type Translations<T> = { [K in keyof T]: T[K] extends string ? string : Translations<T[K]> };
