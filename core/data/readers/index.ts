/** The data readers: the plug-in registry and the functions the rest of modelgate calls. */
export { openData, openOne, readTable, type Table } from "../source.js";
export { type ByteRange, csvByteRanges, openCsvRange } from "./csv-ranges.js";
export { readerFor, readers } from "./registry.js";
export type { LocalFile, Reader, ReaderOptions } from "./types.js";
