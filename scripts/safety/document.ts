/**
 * A small document model for the safety case, rendered as Markdown and as HTML (for the PDF),
 * so both carry the same content without a Markdown library.
 */
export type Block =
  | { readonly kind: 'h'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'p'; readonly text: string }
  | { readonly kind: 'ul'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] };

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

export function toMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'h') out.push(`${'#'.repeat(b.level)} ${b.text}`, '');
    else if (b.kind === 'p') out.push(b.text, '');
    else if (b.kind === 'ul') out.push(...b.items.map((i) => `- ${i}`), '');
    else if (b.kind === 'table') {
      out.push(`| ${b.head.map(mdCell).join(' | ')} |`, `|${b.head.map(() => '---').join('|')}|`);
      for (const row of b.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline Markdown used in the blocks: `code` and **bold** only. */
function inline(s: string): string {
  return escapeHtml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

const STYLE = `
  body { font: 10pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0; }
  h1 { font-size: 17pt; margin: 0 0 6pt; } h2 { font-size: 13pt; margin: 16pt 0 6pt; border-bottom: 1px solid #999; }
  h3 { font-size: 11pt; margin: 12pt 0 4pt; page-break-after: avoid; }
  table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; page-break-inside: auto; }
  th, td { border: 1px solid #aaa; padding: 2pt 4pt; vertical-align: top; text-align: left; } th { background: #eee; }
  tr { page-break-inside: avoid; } code { font-size: 8pt; word-break: break-all; } ul { margin: 2pt 0 6pt; padding-left: 16pt; }
`;

export function toHtml(blocks: readonly Block[], title: string): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'h') out.push(`<h${b.level}>${inline(b.text)}</h${b.level}>`);
    else if (b.kind === 'p') out.push(`<p>${inline(b.text)}</p>`);
    else if (b.kind === 'ul') out.push(`<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`);
    else if (b.kind === 'table') {
      out.push(
        `<table><thead><tr>${b.head.map((h) => `<th>${inline(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c).replace(/\n/g, '<br>')}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${out.join('\n')}</body></html>\n`;
}
