export { DEFAULT_STATUS } from './logging-config.js';
export { LoggingInput, type LoggingInputOptions } from './logging-input.js';
export { PositionStore } from './positions.js';
export { SocketInput, type SocketInputOptions } from './socket-input.js';
