// ESM entry point of `sunco`: the same objects as `require('sunco')`, as named exports.
import sunco from './lib/index.js';

export const {
  VERSION,
  operations,
  Client,
  Conversations,
  SuncoError,
  ValidationError,
  ConfigError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  TransportError,
  DecodeError,
  AbortError,
  ClosedError,
} = sunco;

export default sunco;
