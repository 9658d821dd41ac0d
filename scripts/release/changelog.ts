/**
 * CHANGELOG.md in the Keep a Changelog format: releasing moves the `## [Unreleased]` notes under a dated version
 * heading (and fixes the compare links at the bottom); the release workflow reads one version's notes back out.
 */

const UNRELEASED_HEADING = /^## \[?Unreleased\]?[ \t]*$/im;
const LINK_DEFINITION = /^\[[^\]]+\]:\s+\S+/;

interface Section {
  /** Index of the heading line's first character. */
  start: number;
  /** Index just past the heading line. */
  bodyStart: number;
  /** Index where the next version heading, or the link definitions, begin. */
  end: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function sectionAt(text: string, start: number): Section {
  const lineEnd = text.indexOf("\n", start);
  const bodyStart = lineEnd < 0 ? text.length : lineEnd + 1;
  let end = text.length;
  let offset = bodyStart;
  for (const line of text.slice(bodyStart).split("\n")) {
    if (line.startsWith("## ") || LINK_DEFINITION.test(line)) {
      end = offset;
      break;
    }
    offset += line.length + 1;
  }
  return { start, bodyStart, end: Math.min(end, text.length) };
}

function versionHeading(version: string): RegExp {
  return new RegExp(`^## \\[?${escapeRegExp(version)}\\]?(?:\\s|$)`, "m");
}

/** The notes of one version (without its heading), trimmed; throws when the version has no section. */
export function changelogSection(text: string, version: string): string {
  const match = versionHeading(version).exec(text);
  if (!match) throw new Error(`CHANGELOG.md has no section for ${version}`);
  const section = sectionAt(text, match.index);
  return text.slice(section.bodyStart, section.end).trim();
}

/** The newest released version named by a `## [X.Y.Z]` heading, if any. */
export function latestReleasedVersion(text: string): string | undefined {
  return /^## \[?(\d+\.\d+\.\d+[^\]\s]*)\]?/m.exec(text)?.[1];
}

/** The GitHub repository the link definitions point at, e.g. https://github.com/fabstir/fabstir-host. */
function repositoryUrl(text: string, fallback: string): string {
  const link = /^\[Unreleased\]:\s+(https:\/\/github\.com\/[^/\s]+\/[^/\s]+)/im.exec(text);
  return link?.[1] ?? fallback;
}

/**
 * Moves the Unreleased notes under `## [version] - date`, leaves an empty Unreleased section, and, when the file
 * keeps link definitions, points [Unreleased] at vVERSION...HEAD and adds [version].
 */
export function releaseChangelog(text: string, version: string, date: string, fallbackRepository = "https://github.com/fabstir/fabstir-host"): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  if (versionHeading(version).test(text)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
  const heading = UNRELEASED_HEADING.exec(text);
  if (!heading) throw new Error("CHANGELOG.md has no '## [Unreleased]' section");
  const section = sectionAt(text, heading.index);
  const notes = text.slice(section.bodyStart, section.end).trim();
  if (notes === "") throw new Error("the Unreleased section of CHANGELOG.md is empty: describe the changes first");

  const previous = latestReleasedVersion(text);
  const released = `## [Unreleased]\n\n## [${version}] - ${date}\n\n${notes}\n\n`;
  let result = text.slice(0, section.start) + released + text.slice(section.end);

  const repository = repositoryUrl(text, fallbackRepository);
  const unreleasedLink = /^\[Unreleased\]:.*$/im.exec(result);
  if (unreleasedLink) {
    const versionLink = previous ? `[${version}]: ${repository}/compare/v${previous}...v${version}` : `[${version}]: ${repository}/releases/tag/v${version}`;
    const replacement = `[Unreleased]: ${repository}/compare/v${version}...HEAD\n${versionLink}`;
    result = result.slice(0, unreleasedLink.index) + replacement + result.slice(unreleasedLink.index + unreleasedLink[0].length);
  }
  return result.replace(/\n{3,}/g, "\n\n");
}
