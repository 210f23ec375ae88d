// A port of Go's text/tabwriter as vendored by docker/cli
// (cli/command/formatter/tabwriter), which measures cells with go-runewidth
// (East Asian wide characters and emoji count as 2 columns, combining marks as 0).
//
// Not ported: Escape (0xff) handling; a JS string holds no raw bytes, and in
// valid UTF-8 text that byte never occurs.

export const FilterHTML = 1 << 0;
export const StripEscape = 1 << 1; // accepted for API parity; no effect (see above)
export const AlignRight = 1 << 2;
export const DiscardEmptyColumns = 1 << 3;
export const TabIndent = 1 << 4;
export const Debug = 1 << 5;

interface Cell {
  size: number; // length of the cell's text in UTF-16 units
  width: number; // display width in terminal columns
  htab: boolean; // terminated by '\t' (not '\v')
}

const WIDE_RANGES: [number, number][] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x16fe0, 0x18cff], [0x1b000, 0x1b2ff], [0x1f200, 0x1f2ff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

/** Display width of one code point, approximating go-runewidth's RuneWidth in a non-CJK locale. */
export function runeWidth(r: string): number {
  const cp = r.codePointAt(0)!;
  if (cp === 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (/^[\p{Mn}\p{Me}\p{Cf}]$/u.test(r) || (cp >= 0x1160 && cp <= 0x11ff)) return 0;
  if (/^\p{Emoji_Presentation}$/u.test(r)) return 2;
  for (const [lo, hi] of WIDE_RANGES) if (cp >= lo && cp <= hi) return 2;
  return 1;
}

export function stringWidth(s: string): number {
  let w = 0;
  for (const r of s) w += runeWidth(r);
  return w;
}

export class TabWriter {
  private readonly padbytes: string;
  private flags: number;
  private buf = '';
  private pos = 0;
  private cell: Cell = { size: 0, width: 0, htab: false };
  private endChar = '';
  private lines: Cell[][] = [];
  private widths: number[] = [];
  private out = '';

  constructor(
    private readonly minwidth = 10,
    private readonly tabwidth = 1,
    private readonly padding = 3,
    padchar = ' ',
    flags = 0,
  ) {
    if (minwidth < 0 || tabwidth < 0 || padding < 0) throw new Error('negative minwidth, tabwidth, or padding');
    this.padbytes = padchar;
    if (padchar === '\t') flags &= ~AlignRight; // tab padding enforces left-alignment
    this.flags = flags;
    this.reset();
  }

  private reset(): void {
    this.buf = '';
    this.pos = 0;
    this.cell = { size: 0, width: 0, htab: false };
    this.endChar = '';
    this.lines = [[]];
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padbytes === '\t' || useTabs) {
      if (this.tabwidth === 0) return; // tabs have no width - can't do any padding
      cellw = Math.floor((cellw + this.tabwidth - 1) / this.tabwidth) * this.tabwidth;
      const n = cellw - textw;
      if (n < 0) throw new Error('internal error');
      this.out += '\t'.repeat(Math.floor((n + this.tabwidth - 1) / this.tabwidth));
      return;
    }
    this.out += this.padbytes.repeat(Math.max(0, cellw - textw));
  }

  private writeLines(pos: number, line0: number, line1: number): number {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      let useTabs = (this.flags & TabIndent) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.flags & Debug) this.out += '|';
        if (c.size === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, useTabs);
        } else {
          useTabs = false;
          const text = this.buf.slice(pos, pos + c.size);
          pos += c.size;
          if ((this.flags & AlignRight) === 0) {
            this.out += text;
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, false);
          } else {
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, false);
            this.out += text;
          }
        }
      });
      if (i + 1 === this.lines.length) {
        // last buffered line has no newline; write any outstanding partial cell
        this.out += this.buf.slice(pos, pos + this.cell.size);
        pos += this.cell.size;
      } else {
        this.out += '\n';
      }
    }
    return pos;
  }

  /** Formats lines [line0, line1); the last cell of each line is not part of a column. */
  private format(pos: number, line0: number, line1: number): number {
    const column = this.widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= this.lines[t]!.length - 1) continue;
      // this line has a cell in this column: print preceding lines, then measure the block
      pos = this.writeLines(pos, line0, t);
      line0 = t;
      let width = this.minwidth;
      let discardable = true;
      for (; t < line1; t++) {
        const line = this.lines[t]!;
        if (column >= line.length - 1) break;
        const c = line[column]!;
        width = Math.max(width, c.width + this.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.flags & DiscardEmptyColumns) width = 0;
      this.widths.push(width);
      pos = this.format(pos, line0, t);
      this.widths.pop();
      line0 = t;
    }
    return this.writeLines(pos, line0, line1);
  }

  private append(text: string): void {
    this.buf += text;
    this.cell.size += text.length;
  }

  private updateWidth(): void {
    this.cell.width += stringWidth(this.buf.slice(this.pos));
    this.pos = this.buf.length;
  }

  private endEscape(): void {
    if (this.endChar === ';') this.cell.width++; // an HTML entity counts as one character
    this.pos = this.buf.length;
    this.endChar = '';
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1]!;
    line.push(this.cell);
    this.cell = { size: 0, width: 0, htab: false };
    return line.length;
  }

  private flushInternal(): void {
    if (this.cell.size > 0) {
      if (this.endChar) this.endEscape(); // inside escape - terminate it even if incomplete
      this.terminateCell(false);
    }
    this.format(0, 0, this.lines.length);
    this.reset();
  }

  write(text: string): this {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (!this.endChar) {
        if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
          this.append(text.slice(n, i));
          this.updateWidth();
          n = i + 1;
          const ncells = this.terminateCell(ch === '\t');
          if (ch === '\n' || ch === '\f') {
            this.lines.push([]);
            // a one-cell line cannot affect later formatting, so it is safe to flush
            if (ch === '\f' || ncells === 1) {
              this.flushInternal();
              if (ch === '\f' && this.flags & Debug) this.out += '---\n';
            }
          }
        } else if ((ch === '<' || ch === '&') && this.flags & FilterHTML) {
          this.append(text.slice(n, i));
          this.updateWidth();
          n = i;
          this.endChar = ch === '<' ? '>' : ';';
        }
      } else if (ch === this.endChar) {
        this.append(text.slice(n, i + 1));
        n = i + 1;
        this.endEscape();
      }
    }
    this.append(text.slice(n));
    return this;
  }

  /** Formats everything buffered and returns all output produced since the last flush. */
  flush(): string {
    this.flushInternal();
    const out = this.out;
    this.out = '';
    return out;
  }
}
