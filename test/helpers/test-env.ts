/** The shared Postgres server and Redis the suites run against (the CI machine's, by default). */
export const testEnv = {
  postgresUrl: process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
};
