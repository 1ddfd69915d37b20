// Scenario colours: the API's `scenarioColor` when it is a plain hex colour (it is written into the
// page, so nothing else gets through), else the Okabe–Ito palette, which stays distinguishable with
// the common colour-vision deficiencies.

/** Okabe & Ito (2008), black left out: blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow. */
export const SAFE_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"] as const;

/** Bars that raise / lower EBIT in the bridge (Okabe–Ito bluish green and vermillion). */
export const EFFECT_COLORS = { up: "#009E73", down: "#D55E00", gap: "#7F7F7F" } as const;

/** CO2 components (Okabe–Ito sky blue, orange, reddish purple), grey for a total not split by the API. */
export const CO2_COLORS = { inbound: "#56B4E9", storage: "#E69F00", outbound: "#CC79A7", other: "#BBBBBB" } as const;

const HEX = /^#[0-9A-Fa-f]{6}$/;

/**
 * One colour per scenario id, in the order given: the API's colour when valid and not already
 * taken, else the next unused colour of `palette` (default {@link SAFE_PALETTE}; cycling when scenarios outnumber it).
 */
export function scenarioColors(
  scenarios: ReadonlyArray<{ id: string; color?: string | undefined }>,
  palette: readonly string[] = SAFE_PALETTE,
): Map<string, string> {
  const colors = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of scenarios) {
    const color = s.color && HEX.test(s.color) ? s.color.toUpperCase() : undefined;
    if (color && !taken.has(color) && !colors.has(s.id)) {
      colors.set(s.id, color);
      taken.add(color);
    }
  }
  let next = 0;
  for (const s of scenarios) {
    if (colors.has(s.id)) continue;
    const free = palette.find((c) => !taken.has(c)) ?? palette[next++ % palette.length]!;
    colors.set(s.id, free);
    taken.add(free);
  }
  return colors;
}

/** The palette for scenarios drawn beside the bridge's effect bars: Okabe–Ito less the two effect colours. */
export const BRIDGE_PALETTE: readonly string[] = SAFE_PALETTE.filter(
  (c) => c !== EFFECT_COLORS.up && c !== EFFECT_COLORS.down,
);
