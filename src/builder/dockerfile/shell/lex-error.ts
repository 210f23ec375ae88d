// The error the lexer throws; its message is the one Docker prints (e.g. `failed to process "${A:?}": ...`).
export class LexError extends Error {}
