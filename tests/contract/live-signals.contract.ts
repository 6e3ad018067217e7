import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  MAX_SIGNAL_PAYLOAD_LENGTH,
  type LiveSignals,
  type LiveTopic,
} from '../../src/application/shared/live-signals.port.js';
import { eventually, settle } from '../support/waiting.js';

export interface LiveSignalsFixture {
  /** This instance's signals. */
  readonly signals: LiveSignals;
  /** Another instance's, on the same channel (in-process: the same object). */
  readonly other: LiveSignals;
  /** Stops what `create` started. */
  close(): Promise<void>;
}

/** What a subscriber heard. */
function recorder(signals: LiveSignals, topic: LiveTopic) {
  const heard: string[] = [];
  const stop = signals.subscribe(topic, {
    onSignal: (payload) => heard.push(payload),
    onResume: () => undefined,
  });
  return { heard, stop };
}

/** The promise every LiveSignals keeps. */
export function liveSignalsContract(name: string, create: () => Promise<LiveSignalsFixture>) {
  describe(`${name} honours the LiveSignals contract`, () => {
    let fixture: LiveSignalsFixture;

    beforeEach(async () => {
      fixture = await create();
    });

    afterEach(async () => {
      await fixture.close();
    });

    it('delivers a payload, exactly as published, to every subscriber of its topic on every instance', async () => {
      const here = recorder(fixture.signals, 'task-changes');
      const alsoHere = recorder(fixture.signals, 'task-changes');
      const there = recorder(fixture.other, 'task-changes');

      await fixture.signals.publish('task-changes', '0123456789abcdef');

      await eventually(async () => {
        expect(here.heard).toEqual(['0123456789abcdef']);
        expect(alsoHere.heard).toEqual(['0123456789abcdef']);
        expect(there.heard).toEqual(['0123456789abcdef']);
      });
    });

    it('keeps topics apart', async () => {
      const revocations = recorder(fixture.other, 'revocations');
      const changes = recorder(fixture.other, 'task-changes');

      await fixture.signals.publish('revocations', '{"kind":"session"}');
      await fixture.signals.publish('task-changes', 'fedcba9876543210');

      await eventually(async () => {
        expect(revocations.heard).toEqual(['{"kind":"session"}']);
        expect(changes.heard).toEqual(['fedcba9876543210']);
      });
    });

    it('stops delivering to a subscriber that stopped, and only to it', async () => {
      const stopped = recorder(fixture.other, 'task-changes');
      const kept = recorder(fixture.other, 'task-changes');
      stopped.stop();

      await fixture.signals.publish('task-changes', 'after-the-stop');

      await eventually(async () => expect(kept.heard).toEqual(['after-the-stop']));
      await settle();
      expect(stopped.heard).toEqual([]);
    });

    it('delivers to the others when one subscriber throws', async () => {
      fixture.other.subscribe('task-changes', {
        onSignal: () => {
          throw new Error('a broken subscriber');
        },
        onResume: () => undefined,
      });
      const kept = recorder(fixture.other, 'task-changes');

      await fixture.signals.publish('task-changes', 'still-delivered');

      await eventually(async () => expect(kept.heard).toEqual(['still-delivered']));
    });

    it('refuses a payload longer than MAX_SIGNAL_PAYLOAD_LENGTH', async () => {
      const heard = recorder(fixture.other, 'task-changes');
      await expect(
        fixture.signals.publish('task-changes', 'x'.repeat(MAX_SIGNAL_PAYLOAD_LENGTH + 1)),
      ).rejects.toThrow(RangeError);
      await fixture.signals.publish('task-changes', 'x'.repeat(MAX_SIGNAL_PAYLOAD_LENGTH));
      await eventually(async () => expect(heard.heard).toHaveLength(1));
    });
  });
}
