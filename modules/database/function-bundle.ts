/**
 * The database bootstrap function's bundle, where the database module has always imported it
 * from. The builder is shared by every function of the project now (modules/lambda/function-bundle.ts);
 * its bytes, and so the function's `source_code_hash`, are unchanged.
 */
export { DB_BOOTSTRAP_RUNTIME, dbBootstrapBundle, type FunctionBundle } from "../lambda/function-bundle";
