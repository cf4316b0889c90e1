import type { FastifyReply } from 'fastify';
import type { BoardFailure } from '../../store/meetings.ts';
import { errorBody } from '../errors.ts';

/** A refused tumour-board write → its 4xx: nothing was stored. */
export function sendBoardFailure(reply: FastifyReply, failure: BoardFailure) {
  switch (failure.reason) {
    case 'not_found':
      return reply.code(404).send(errorBody(failure.what));
    case 'invalid':
      return reply.code(400).send(errorBody(failure.message, failure.path));
    case 'forbidden':
      return reply.code(403).send(errorBody(failure.message));
    case 'conflict':
      return reply.code(409).send(errorBody(failure.message, failure.path ?? ''));
  }
}
