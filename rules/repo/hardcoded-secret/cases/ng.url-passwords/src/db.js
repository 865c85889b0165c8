const { Pool } = require("pg");

const pool = new Pool({ connectionString: "postgres://bot:Sup3rS3cretPassw0rdQ8z@db.internal:5432/bot" });
const cache = "redis://:r3d1sP4ssw0rd@cache:6379/0";
module.exports = { pool, cache };
