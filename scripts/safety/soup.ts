import type { Soup } from './schema.ts';

/** The parts of a CycloneDX 1.x JSON BOM the SOUP list reads. */
export interface CycloneDxBom {
  readonly metadata?: { readonly component?: { readonly name?: string; readonly version?: string } };
  readonly components?: readonly {
    readonly group?: string;
    readonly name: string;
    readonly version?: string;
    readonly licenses?: readonly { readonly license?: { readonly id?: string; readonly name?: string }; readonly expression?: string }[];
  }[];
}

export interface SoupRow {
  readonly name: string;
  readonly version: string;
  readonly licence: string;
  readonly role: string;
  readonly failureShowsAs: string;
  readonly caughtBy: readonly string[];
  readonly knownAnomalies: string;
}

const fullName = (c: { group?: string; name: string }) => (c.group ? `${c.group}/${c.name}` : c.name);

/** The SOUP list: the role/failure data of safety/soup.yaml joined with version and licence from the SBOM. */
export function soupRows(soup: Soup, bom: CycloneDxBom): SoupRow[] {
  const byName = new Map((bom.components ?? []).map((c) => [fullName(c), c]));
  return soup.components.map((entry) => {
    const component = byName.get(entry.name);
    const licence = (component?.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name ?? '').filter(Boolean).join(' OR ');
    return { ...entry, version: component?.version ?? 'not in SBOM', licence: licence || 'not declared' };
  });
}

/** Problems with the SOUP list: a direct production dependency without an entry, an entry that is not one, a duplicate. */
export function soupProblems(soup: Soup, directDependencies: readonly string[], knownControlIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const names = soup.components.map((c) => c.name);
  for (const dep of directDependencies) if (!names.includes(dep)) problems.push(`${dep}: direct production dependency without a SOUP entry`);
  for (const name of names) if (!directDependencies.includes(name)) problems.push(`${name}: SOUP entry for a package that is not a direct production dependency`);
  for (const name of new Set(names)) if (names.filter((n) => n === name).length > 1) problems.push(`${name}: listed twice`);
  for (const c of soup.components) for (const id of c.caughtBy) if (!knownControlIds.has(id)) problems.push(`${c.name}: caughtBy names unknown hazard or control ${id}`);
  return problems;
}
