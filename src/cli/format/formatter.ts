// Docker's formatter.Context contract (docker/cli cli/command/formatter/formatter.go):
// "table" formats get a header row and are aligned with tabwriter(10, 1, 3, ' ', 0);
// other formats are printed row by row.
import { isPlainObject } from './go-template-fmt.js';
import { headerFuncs, parseTemplate } from './go-template.js';
import { TabWriter } from './tabwriter.js';

export const TABLE_FORMAT_KEY = 'table';
export const RAW_FORMAT_KEY = 'raw';
export const PRETTY_FORMAT_KEY = 'pretty';
export const JSON_FORMAT_KEY = 'json';
export const DEFAULT_QUIET_FORMAT = '{{.ID}}';
export const JSON_FORMAT = '{{json .}}';

/** formatter.Format.IsTable: a plain prefix test, so "tablefoo" counts too. */
export function isTable(format: string): boolean {
  return format.startsWith(TABLE_FORMAT_KEY);
}

/** formatter.Format.IsJSON */
export function isJSON(format: string): boolean {
  return format === JSON_FORMAT_KEY;
}

/**
 * Context.preFormat: drops the "table" prefix, maps "json" to {{json .}}, trims
 * spaces and turns the two-character sequences \t and \n typed on a shell into
 * a real tab/newline.
 */
export function preFormat(format: string): string {
  let f = format;
  if (isTable(f)) f = f.slice(TABLE_FORMAT_KEY.length);
  else if (isJSON(f)) f = JSON_FORMAT;
  f = f.replace(/^ +| +$/g, '');
  return f.replace(/\\[tn]/g, (m) => (m === '\\t' ? '\t' : '\n'));
}

/**
 * Renders rows the way Docker's Context.Write does.
 * headers maps field names to column titles; fields absent from it render an
 * empty header cell (Docker's header context is a map[string]string).
 * Errors carry Docker's "template parsing error: " prefix.
 * Plain-object rows behave as Go maps, so {{json .}} sorts their keys as Docker's
 * formatter.MarshalJSON does for every row context.
 */
export function formatRows(format: string, rows: object[], headers: Record<string, string>): string {
  const src = preFormat(format);
  let tmpl;
  try {
    tmpl = parseTemplate(src);
  } catch (e) {
    throw new Error(`template parsing error: ${(e as Error).message}`);
  }
  let body = '';
  for (const row of rows) {
    try {
      body += tmpl.execute(isPlainObject(row) ? new Map(Object.entries(row)) : row) + '\n';
    } catch (e) {
      throw new Error(`template parsing error: ${(e as Error).message}`);
    }
  }
  if (!isTable(format)) return body;
  // Docker ignores header execution errors and keeps whatever was written.
  const header = tmpl.tryExecute(headers, { funcs: headerFuncs, missingKey: 'empty' }).output;
  const tw = new TabWriter(10, 1, 3, ' ', 0);
  tw.write(header);
  tw.write('\n');
  tw.write(body);
  return tw.flush();
}
