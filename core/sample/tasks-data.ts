import { athenaQuery, call, glueViaAthena } from "./api-services.ts";
import { burst, mode, poll, type Step, step, type TaskContext, type TaskEntry, think } from "./task-kit.ts";
import { logsLook } from "./tasks-dev.ts";
import { s3Look } from "./tasks-services.ts";

/** What data analysts do: Athena queries (start, poll, fetch) and Glue catalog browsing. */

const QUERIES = [
  "SELECT order_date, count(*) AS orders, sum(total) AS revenue FROM orders WHERE order_date >= date_add('day', -30, current_date) GROUP BY 1 ORDER BY 1",
  "SELECT country, count(DISTINCT session_id) FROM sessions WHERE dt = '{day}' GROUP BY 1 ORDER BY 2 DESC LIMIT 50",
  "SELECT page, count(*) FROM page_views WHERE dt BETWEEN '{day}' AND '{day}' GROUP BY page ORDER BY 2 DESC LIMIT 100",
  "SELECT * FROM order_items LIMIT 10",
  "SELECT cost_center, sum(amount) FROM cost_allocation WHERE month = '{month}' GROUP BY 1",
  "SELECT customer_id, count(*) n FROM orders GROUP BY 1 HAVING count(*) > 5 ORDER BY n DESC",
];

function athenaWork(c: TaskContext): Step[] {
  const via = c.console ? "console" : "script";
  const inv = c.account.inventory;
  const steps: Step[] = [];
  const workGroup = c.rng.chance(0.8) ? "analysts" : "primary";
  if (c.console) {
    steps.push(
      ...burst(
        c.rng,
        [
          call("athena", "ListWorkGroups", {}),
          call("athena", "GetWorkGroup", { workGroup }),
          call("athena", "ListDataCatalogs", {}),
          call("athena", "ListDatabases", { catalogName: "AwsDataCatalog" }),
        ],
        via,
        0,
      ),
    );
  }
  const queries = c.rng.int(1, 4);
  for (let q = 0; q < queries; q++) {
    const { database, table } = c.rng.pick(inv.tables);
    if (c.console && c.rng.chance(0.5)) {
      steps.push(
        step(
          call("athena", "ListTableMetadata", { catalogName: "AwsDataCatalog", databaseName: database }),
          think(c.rng, 4),
          via,
        ),
      );
      steps.push(
        step(
          call("athena", "GetTableMetadata", {
            catalogName: "AwsDataCatalog",
            databaseName: database,
            tableName: table,
          }),
          think(c.rng, 3),
          via,
        ),
      );
    }
    const sql = c.rng.pick(QUERIES).replaceAll("{day}", c.day).replaceAll("{month}", c.day.slice(0, 7));
    const query = athenaQuery(c.rng, workGroup, database, sql);
    steps.push(step(query.start, think(c.rng, q === 0 ? 15 : 60), via));
    for (const glue of glueViaAthena(database, table)) steps.push(step(glue, 0, via));
    steps.push(...poll(c.rng, query.poll, c.rng.int(2, 9), c.console ? 1 : 2, via));
    const pages = c.console ? 1 : c.rng.int(1, 3);
    for (let p = 0; p < pages; p++) steps.push(step(query.results, p === 0 ? 0.5 : 0.3, via));
  }
  if (c.console && c.rng.chance(0.4))
    steps.push(step(call("athena", "ListQueryExecutions", { workGroup }), think(c.rng), via));
  return steps;
}

function glueLook(c: TaskContext): Step[] {
  const via = mode(c);
  const { database, table } = c.rng.pick(c.account.inventory.tables);
  const steps = [
    step(call("glue", "GetDatabases", {}), 0, via),
    step(call("glue", "GetTables", { databaseName: database }), think(c.rng, 3), via),
  ];
  steps.push(step(call("glue", "GetTable", { databaseName: database, name: table }), think(c.rng, 3), via));
  if (c.rng.chance(0.4))
    steps.push(
      step(call("glue", "GetPartitions", { databaseName: database, tableName: table }), think(c.rng), via),
    );
  if (c.rng.chance(0.15)) {
    const crawler = `${database}-crawler`;
    steps.push(step(call("glue", "StartCrawler", { name: crawler }), think(c.rng, 10), via));
    steps.push(...poll(c.rng, call("glue", "GetCrawler", { name: crawler }), c.rng.int(2, 5), 30, via));
  }
  return steps;
}

export const ANALYST_TASKS: TaskEntry[] = [
  { name: "athena", habit: "athena", weight: 3, task: athenaWork },
  { name: "glue", habit: "glue", weight: 1, task: glueLook },
  { name: "s3", habit: "s3", weight: 0.6, task: s3Look },
  { name: "logs", habit: "logs", weight: 0.2, task: (c) => logsLook(c) },
];
