import { Clock } from '../../src/common/clock';

/** A clock the test moves: TOTP steps, lock-outs and expiries without waiting. */
export class FakeClock extends Clock {
  private time: number;

  constructor(start = Date.now()) {
    super();
    this.time = start;
  }

  override now(): Date {
    return new Date(this.time);
  }

  advance(seconds: number): void {
    this.time += seconds * 1000;
  }
}
