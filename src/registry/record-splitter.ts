/**
 * Cuts a byte stream into batches of whole records without parsing them, so parsing can run in
 * worker threads: a record ends at a newline outside double quotes (CSV) or at any newline
 * (NDJSON). Cuts fall on `\n` bytes, never inside a UTF-8 sequence. Each batch carries the input
 * line number of its first line.
 */
export interface Cut {
  readonly bytes: Uint8Array;
  readonly firstLine: number;
}

const NEWLINE = 10;
const QUOTE = 34;

export class RecordSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private scanned = 0;
  private inQuote = false;
  private newlines = 0;
  private firstBoundary = -1;
  private newlinesAtFirst = 0;
  private lastBoundary = -1;
  private newlinesAtLast = 0;
  private line = 1;

  constructor(
    private readonly quoteAware: boolean,
    /** A run this long without a record end is cut anyway (an unclosed quote must not hold the rest of the file). */
    private readonly maxRecordBytes = 8 << 20,
  ) {}

  get buffered(): number {
    return this.buf.length;
  }

  append(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const b = this.buf;
    for (let i = this.scanned; i < b.length; i++) {
      const c = b[i];
      if (c === QUOTE && this.quoteAware) this.inQuote = !this.inQuote;
      else if (c === NEWLINE) {
        this.newlines++;
        if (!this.inQuote) {
          if (this.firstBoundary < 0) {
            this.firstBoundary = i + 1;
            this.newlinesAtFirst = this.newlines;
          }
          this.lastBoundary = i + 1;
          this.newlinesAtLast = this.newlines;
        }
      }
    }
    this.scanned = b.length;
  }

  /** The first whole record, once one has arrived. */
  takeFirst(): Cut | null {
    if (this.firstBoundary < 0) return null;
    return this.cut(this.firstBoundary, this.newlinesAtFirst);
  }

  /** All whole records buffered, when at least `minBytes` of them (or an over-long run) are. */
  take(minBytes: number): Cut | null {
    if (this.lastBoundary >= minBytes) return this.cut(this.lastBoundary, this.newlinesAtLast);
    if (this.lastBoundary < 0 && this.buf.length > this.maxRecordBytes) {
      this.inQuote = false;
      return this.cut(this.buf.length, this.newlines);
    }
    return null;
  }

  /** Whatever is left at the end of the input. */
  takeRest(): Cut | null {
    if (this.buf.length === 0) return null;
    return this.cut(this.buf.length, this.newlines);
  }

  private cut(at: number, newlinesBefore: number): Cut {
    const bytes = new Uint8Array(at);
    bytes.set(this.buf.subarray(0, at));
    const cut = { bytes, firstLine: this.line };
    this.line += newlinesBefore;
    this.buf = this.buf.subarray(at);
    this.scanned -= at;
    this.newlines -= newlinesBefore;
    this.firstBoundary = -1;
    // Boundaries after the cut are found again on the next append's scan of what remains.
    this.lastBoundary = -1;
    this.newlinesAtLast = 0;
    if (this.buf.length > 0) this.rescan();
    return cut;
  }

  private rescan(): void {
    // Quote state at the cut point is "outside" (cuts fall on record ends), so rescanning is exact.
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    this.scanned = 0;
    this.newlines = 0;
    this.inQuote = false;
    this.append(rest);
  }
}
