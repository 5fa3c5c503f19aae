/**
 * Every relative link in README.md and docs/ resolves inside the repository: the file (or folder)
 * exists, is not outside the checkout, and a `#section` names a heading of the Markdown file it
 * points to (GitHub's anchors). Links inside code blocks and inline code are not links. And every
 * repository path the README and the docs name in code (`src/…`, `test/…`) exists, so a moved
 * file cannot leave its old path behind in the text.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('.');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : path.endsWith('.md') ? [path] : [];
  });
}

/** The text without fenced code blocks and inline code. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1] as string);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const files = ['README.md', ...markdownFiles('docs')];

describe('relative links in README.md and docs/', () => {
  it('finds the documents and their links', () => {
    expect(files).toContain('docs/architecture.md');
    expect(files).toContain('docs/contracts.md');
    expect(files).toContain('docs/operations.md');
  });

  for (const file of files) {
    it(`${file}: every relative link resolves inside the repository`, () => {
      const links = [...prose(readFileSync(file, 'utf8')).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string);
      const broken: string[] = [];
      for (const link of links) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? resolve(file) : resolve(dirname(file), decodeURIComponent(path));
        const inside = relative(ROOT, target);
        if (inside.startsWith('..') || resolve(ROOT, inside) !== target) broken.push(`${link} (outside the repository)`);
        else if (!existsSync(target)) broken.push(`${link} (no such file)`);
        else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor)) broken.push(`${link} (no heading #${anchor} in ${inside})`);
      }
      expect(broken).toEqual([]);
    });
  }
});

describe('repository paths named in README.md and docs/*.md', () => {
  const top = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const file of top) {
    it(`${file}: every \`src/…\`, \`test/…\`, \`scripts/…\` path exists`, () => {
      const text = readFileSync(file, 'utf8');
      const paths = [...text.matchAll(/`((?:src|test|scripts|flows|content|schemas|docs)\/[^`\s]*)`/g)]
        .map((m) => (m[1] as string).replace(/[.,:;]+$/, ''))
        .filter((path) => !/[<>*…]/.test(path));
      expect(paths.filter((path) => !existsSync(path))).toEqual([]);
    });
  }
});
