import { Injectable } from '@nestjs/common';

/** The time source of every rule with a deadline; tests move it instead of waiting. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
