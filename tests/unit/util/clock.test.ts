import { describe, expect, test } from "bun:test";
import { realEvery, systemClock } from "../../../src/util/clock.ts";
import { FakeClock } from "../chain/helpers.ts";

describe("the clock's repeating timer", () => {
  test("the real one repeats until stopped", async () => {
    let ticks = 0;
    const stop = systemClock.every(5, () => ticks++);
    await Bun.sleep(40);
    stop();
    const seen = ticks;
    expect(seen).toBeGreaterThan(1);
    await Bun.sleep(20);
    expect(ticks).toBe(seen);
    expect(systemClock.every).toBe(realEvery);
  });

  test("a fake clock fires its timers only as the test moves time, in order", () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const stopA = clock.every(1000, () => fired.push(`a@${clock.now()}`));
    clock.every(1500, () => fired.push(`b@${clock.now()}`));
    clock.advance(3000);
    expect(fired).toEqual(["a@1000", "b@1500", "a@2000", "a@3000", "b@3000"]);
    stopA();
    clock.advance(1500);
    expect(fired.at(-1)).toBe("b@4500");
  });
});
