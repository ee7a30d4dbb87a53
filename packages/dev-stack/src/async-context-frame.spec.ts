import { describe, expect, it } from '@jest/globals';
import { ASYNC_CONTEXT_FRAME_FLAG, asyncContextFrameFlags } from './async-context-frame.js';

describe('asyncContextFrameFlags', () => {
  it('opts in on Node 22.7+ and 23, where AsyncLocalStorage runs on promise hooks by default', () => {
    expect(asyncContextFrameFlags('22.7.0')).toEqual([ASYNC_CONTEXT_FRAME_FLAG]);
    expect(asyncContextFrameFlags('22.23.5')).toEqual([ASYNC_CONTEXT_FRAME_FLAG]);
    expect(asyncContextFrameFlags('23.11.1')).toEqual([ASYNC_CONTEXT_FRAME_FLAG]);
  });

  it('adds nothing where the flag does not exist (before 22.7) or frames are the default (24 on)', () => {
    expect(asyncContextFrameFlags('22.6.0')).toEqual([]);
    expect(asyncContextFrameFlags('20.20.2')).toEqual([]);
    expect(asyncContextFrameFlags('24.0.0')).toEqual([]);
  });
});
