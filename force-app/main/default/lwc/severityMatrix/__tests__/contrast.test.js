/**
 * The matrix's colours, read from its stylesheet: every cell's text against its shade, and
 * the current cell (WCAG 2 contrast ratio, at least 4.5:1 for normal text).
 */
const fs = require('fs');
const path = require('path');

const css = fs
  .readFileSync(path.join(__dirname, '..', 'severityMatrix.css'), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '');

/** The declarations of the first rule whose selector list contains `selector` exactly. */
function declarations(selector) {
  const rule = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)].find(([, selectors]) =>
    selectors
      .split(',')
      .map((part) => part.trim())
      .includes(selector)
  );
  if (!rule) {
    throw new Error(`no rule for ${selector} in severityMatrix.css`);
  }
  return Object.fromEntries(
    rule[2]
      .split(';')
      .map((line) => line.split(':').map((part) => part.trim()))
      .filter(([name, value]) => name && value)
  );
}

function luminance(hex) {
  const full =
    hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928
      ? channel / 12.92
      : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

describe('severity matrix colours', () => {
  const text = declarations('.severity-cell').color;

  it.each(['.severity-1', '.severity-2', '.severity-3', '.severity-4'])(
    'keeps cell text legible on %s',
    (selector) => {
      const shade = declarations(selector)['background-color'];
      expect(contrast(text, shade)).toBeGreaterThanOrEqual(4.5);
    }
  );

  it('makes the current cell the most legible cell', () => {
    const current = declarations('.severity-cell.is-current');
    const ratio = contrast(current.color, current['background-color']);
    expect(ratio).toBeGreaterThanOrEqual(4.5);
    for (const selector of ['.severity-1', '.severity-2', '.severity-3']) {
      expect(ratio).toBeGreaterThan(
        contrast(text, declarations(selector)['background-color'])
      );
    }
    expect(current['font-weight']).toBe('700');
  });

  it('gives a cell action the cell colour, not the link colour', () => {
    expect(declarations('.cell-button').color).toBe('inherit');
  });
});
