/**
 * The safety switches of `run --live`, named where the help text is built without loading the live
 * trading modules (and ccxt) for every other command. run-command.ts checks them.
 */
export const API_KEY_ENV = 'QT_EXCHANGE_API_KEY';
export const API_SECRET_ENV = 'QT_EXCHANGE_API_SECRET';
export const LIVE_CONFIRMATION = '--i-understand-this-trades-real-money';
