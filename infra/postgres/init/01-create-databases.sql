-- One database per service on docker-compose.yml's single PostgreSQL; each service migrates its own at start.
-- The postgres image runs this once, when its data volume is empty (`docker compose down -v` to run it again).
-- Keep the names in step with the services' DATABASE_URL in docker-compose.yml (tooling/infra/compose.spec.ts checks).
CREATE DATABASE orders;
CREATE DATABASE shipping;
