/**
 * A process whose clock is off (scenario 13): loaded with `NODE_OPTIONS=--import <this file>`, it shifts
 * `Date.now()`, `new Date()` and `Date()` by HPO_CHAOS_CLOCK_SKEW_MS (e.g. 300000 = five minutes ahead),
 * as a machine with a wrong wall clock would. Timers (setTimeout, performance.now) keep real time, as
 * they do on such a machine. A Proxy keeps `instanceof Date` and every static method of the real Date.
 */
const skewMs = Number(process.env.HPO_CHAOS_CLOCK_SKEW_MS ?? "0");
const RealDate = globalThis.Date;
const skewedNow = () => RealDate.now() + skewMs;

if (Number.isFinite(skewMs) && skewMs !== 0) {
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [skewedNow()] : args, newTarget);
    },
    apply() {
      return new RealDate(skewedNow()).toString();
    },
    get(target, property, receiver) {
      return property === "now" ? skewedNow : Reflect.get(target, property, receiver);
    },
  });
}
