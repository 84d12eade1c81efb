-- DuckDB: canonical `contacts` (text columns, as read from the canonical CSV, plus `row_no`,
-- the file order) -> `contacts_prepared`, the typed view sql/cube.sql reads.
-- ${TZ} is the configured IANA time zone (naive timestamps are read in the session zone,
-- which the runner sets to it too). Needs DuckDB's ICU functions (bundled with the Python wheel).
--
-- contacts_prepared columns:
--   row_no, id, case_key (one key per case; a contact without case_id is its own case),
--   customer_id, channel (canonical id, unknown -> other), arrived_s (Unix seconds),
--   hour_s (UTC hour start), fr, handle, close_after, handoff, cost, revenue, sentiment
--   (rounded to f32 like the engine stores them), abandoned, resolved, bot, handed_off,
--   transfers, csat, nps, ces, qa_* (0..100, rounded), team, topic, segment, region, priority
--   ('' when absent), arrived_local_s and answer_local_s (local seconds of the arrival and of
--   arrival + the rounded first response, for business-hours SLA thresholds).

CREATE OR REPLACE MACRO array_join(a, s) AS array_to_string(a, s);

CREATE OR REPLACE TEMP VIEW contacts_typed AS
SELECT
  row_no,
  trim(id) AS id,
  CASE WHEN NULLIF(trim(case_id), '') IS NULL THEN concat('#', CAST(row_no AS VARCHAR))
       ELSE concat('k', trim(case_id)) END AS case_key,
  COALESCE(trim(customer_id), '') AS customer_id,
  CASE WHEN lower(trim(channel)) IN ('voice', 'chat', 'email', 'social', 'messaging', 'sms', 'web', 'other')
       THEN lower(trim(channel)) ELSE 'other' END AS channel,
  CAST(epoch(CAST(trim(arrived_at) AS TIMESTAMPTZ)) AS BIGINT) AS arrived_s,
  CAST(epoch(CAST(NULLIF(trim(closed_at), '') AS TIMESTAMPTZ)) AS BIGINT) AS closed_s,
  CAST(CAST(CAST(NULLIF(trim(first_response_s), '') AS DOUBLE) AS FLOAT) AS DOUBLE) AS fr,
  CAST(CAST(CAST(NULLIF(trim(handle_s), '') AS DOUBLE) AS FLOAT) AS DOUBLE) AS handle,
  CAST(CAST(CAST(NULLIF(trim(handoff_s), '') AS DOUBLE) AS FLOAT) AS DOUBLE) AS handoff,
  CAST(CAST(CAST(NULLIF(trim(cost), '') AS DOUBLE) AS FLOAT) AS DOUBLE) AS cost,
  CAST(CAST(CAST(NULLIF(trim(revenue), '') AS DOUBLE) AS FLOAT) AS DOUBLE) AS revenue,
  CAST(CAST(CAST(NULLIF(trim(sentiment), '') AS DOUBLE) AS FLOAT) AS DOUBLE) AS sentiment,
  -- 'unknown' (what the engine's writers put where the source did not say) is NULL: outside
  -- the abandonment rate, as a warehouse's own NULL is. A blank is "not abandoned".
  CASE WHEN lower(trim(abandoned)) = 'unknown' THEN NULL
       ELSE COALESCE(lower(trim(abandoned)) IN ('true', 'yes', 'y', '1', 't'), FALSE) END AS abandoned,
  COALESCE(lower(trim(resolved)) IN ('true', 'yes', 'y', '1', 't'), FALSE) AS resolved,
  COALESCE(lower(trim(bot)) IN ('true', 'yes', 'y', '1', 't'), FALSE) AS bot,
  COALESCE(lower(trim(handed_off)) IN ('true', 'yes', 'y', '1', 't'), FALSE) AS handed_off,
  COALESCE(CAST(CAST(NULLIF(trim(transfers), '') AS DOUBLE) AS BIGINT), 0) AS transfers,
  CAST(CAST(NULLIF(trim(csat), '') AS DOUBLE) AS INTEGER) AS csat,
  CAST(CAST(NULLIF(trim(nps), '') AS DOUBLE) AS INTEGER) AS nps,
  CAST(CAST(NULLIF(trim(ces), '') AS DOUBLE) AS INTEGER) AS ces,
  CAST(round(CAST(NULLIF(trim(qa_accuracy), '') AS DOUBLE)) AS INTEGER) AS qa_accuracy,
  CAST(round(CAST(NULLIF(trim(qa_professionalism), '') AS DOUBLE)) AS INTEGER) AS qa_professionalism,
  CAST(round(CAST(NULLIF(trim(qa_problem_solving), '') AS DOUBLE)) AS INTEGER) AS qa_problem_solving,
  CAST(round(CAST(NULLIF(trim(qa_compliance), '') AS DOUBLE)) AS INTEGER) AS qa_compliance,
  COALESCE(trim(team), '') AS team,
  COALESCE(trim(topic), '') AS topic,
  COALESCE(trim(segment), '') AS segment,
  COALESCE(trim(region), '') AS region,
  COALESCE(trim(priority), '') AS priority
FROM contacts;

CREATE OR REPLACE TEMP VIEW contacts_prepared AS
SELECT t.*,
  CAST(floor(arrived_s / 3600) AS BIGINT) * 3600 AS hour_s,
  CAST(CAST(closed_s - arrived_s AS FLOAT) AS DOUBLE) AS close_after,
  CAST(epoch(timezone('${TZ}', to_timestamp(arrived_s))) AS BIGINT) AS arrived_local_s,
  CASE WHEN fr IS NULL THEN NULL ELSE
    CAST(epoch(timezone('${TZ}', to_timestamp(arrived_s + CAST(floor(GREATEST(fr, 0) + 0.5) AS BIGINT)))) AS BIGINT)
  END AS answer_local_s
FROM contacts_typed t;
