// `instanceof` across copies of a library. One process can hold two copies of @simcel/insights (its
// ESM and CJS builds, or two versions); their classes differ, so a plain `instanceof` fails across
// them. Each error class names itself with a `brand`, every instance carries the brands of its class
// chain under a registered symbol, and `instanceof` checks brands.

const BRANDS = Symbol.for("@simcel/brands");

/** A class with a brand of its own. */
interface Branded {
  readonly brand?: string;
}

/** Stamps `instance` with the brands of its class chain (each class's own static `brand`). */
export function stampBrands(instance: object): void {
  const brands: string[] = [];
  for (let proto = Object.getPrototypeOf(instance); proto; proto = Object.getPrototypeOf(proto)) {
    const ctor = proto.constructor as Branded;
    if (Object.hasOwn(ctor, "brand") && ctor.brand) brands.push(ctor.brand);
  }
  Object.defineProperty(instance, BRANDS, { value: brands, enumerable: false });
}

/** Whether `value` was stamped with `brand` (by any copy of the library). */
export function hasBrand(value: unknown, brand: string | undefined): boolean {
  if (typeof value !== "object" || value === null || !brand) return false;
  const brands = (value as { [BRANDS]?: unknown })[BRANDS];
  return Array.isArray(brands) && brands.includes(brand);
}
