-- omnikpi cube: the engine's mergeable measures per UTC hour x channel x dimension values,
-- built from a canonical `contacts` table. Portable SQL: runs unchanged on DuckDB and Spark SQL
-- (and needs only window functions, array_agg / array_sort / array_join, ln and floor).
-- Format and semantics: docs/cube.md.
--
-- Inputs (views):
--   contacts_prepared  the canonical contacts with parsed, typed columns and the local times
--                      the SLA needs (made by prepare_duckdb.sql / prepare_spark.sql, or by your
--                      warehouse's equivalent; the columns are listed there);
--   sla_params         channel, threshold_s, business_hours    (the config's SLA thresholds)
--   cost_params        channel, rate                           (the config's cost rates)
--   business_week      wd (Monday 0), open_s, close_s, cum_s, week_s (the config's opening hours)
-- (params.sql has the defaults of config.json.)
--
-- Two statements: `cube_rows` (every contact with its case outcome on the case's first contact;
-- materialize it: the cells, histograms and customers all read it) and the cube itself, one row
-- per cell with the columns of the cube CSV in file order.

CREATE OR REPLACE TEMPORARY VIEW cube_rows AS
WITH
c0 AS (
  SELECT p.*,
    COALESCE(p.cost, cp.rate, CAST(0 AS DOUBLE)) AS cost_eff,
    COALESCE(sp.threshold_s, CAST(1e300 AS DOUBLE)) AS sla_threshold,
    COALESCE(sp.business_hours, FALSE) AS sla_bh,
    CAST(floor(p.arrived_local_s / 86400) AS BIGINT) AS a_day,
    CAST(floor(p.answer_local_s / 86400) AS BIGINT) AS b_day
  FROM contacts_prepared p
  LEFT JOIN cost_params cp ON cp.channel = p.channel
  LEFT JOIN sla_params sp ON sp.channel = p.channel
),
-- Business seconds since the epoch at local time t:
--   B(t) = weeks * week_s + cum_s[wd] + clamp(second_of_day - open_s[wd], 0, close_s - open_s),
-- so that the open seconds between arrival and answer are B(answer) - B(arrival).
c1 AS (
  SELECT c0.*,
    CASE WHEN c0.fr IS NULL THEN FALSE
         WHEN c0.sla_bh THEN
           GREATEST(
             (CAST((c0.b_day - bb.wd + 3) / 7 AS BIGINT) * bb.week_s + bb.cum_s
               + LEAST(GREATEST(c0.answer_local_s - c0.b_day * 86400 - bb.open_s, 0), bb.close_s - bb.open_s))
             - (CAST((c0.a_day - ba.wd + 3) / 7 AS BIGINT) * ba.week_s + ba.cum_s
               + LEAST(GREATEST(c0.arrived_local_s - c0.a_day * 86400 - ba.open_s, 0), ba.close_s - ba.open_s)),
             0) <= c0.sla_threshold
         ELSE c0.fr <= c0.sla_threshold
    END AS sla_met
  FROM c0
  LEFT JOIN business_week ba ON ba.wd = (c0.a_day + 3) % 7
  LEFT JOIN business_week bb ON bb.wd = (c0.b_day + 3) % 7
),
ordered AS (
  SELECT c1.*,
    ROW_NUMBER() OVER (PARTITION BY case_key ORDER BY arrived_s, row_no) AS k_in_case,
    LAG(channel) OVER (PARTITION BY case_key ORDER BY arrived_s, row_no) AS prev_channel,
    ROW_NUMBER() OVER (PARTITION BY case_key, resolved ORDER BY arrived_s DESC, row_no DESC) AS k_last_of_kind,
    MIN(arrived_s) OVER (PARTITION BY case_key) AS case_first_at,
    (CASE WHEN qa_accuracy IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.30 AS DOUBLE) * qa_accuracy END
      + CASE WHEN qa_professionalism IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.25 AS DOUBLE) * qa_professionalism END
      + CASE WHEN qa_problem_solving IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.25 AS DOUBLE) * qa_problem_solving END
      + CASE WHEN qa_compliance IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.20 AS DOUBLE) * qa_compliance END) AS qa_num,
    (CASE WHEN qa_accuracy IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.30 AS DOUBLE) END
      + CASE WHEN qa_professionalism IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.25 AS DOUBLE) END
      + CASE WHEN qa_problem_solving IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.25 AS DOUBLE) END
      + CASE WHEN qa_compliance IS NULL THEN CAST(0 AS DOUBLE) ELSE CAST(0.20 AS DOUBLE) END) AS qa_w
  FROM c1
),
-- One row per case: its outcome over all its contacts. Sums the engine keeps in f32 are cast
-- to FLOAT like the engine's.
cases AS (
  SELECT case_key,
    COUNT(*) AS n_contacts,
    MAX(CASE WHEN resolved THEN 1 ELSE 0 END) AS is_resolved,
    COUNT(DISTINCT channel) AS n_channels,
    SUM(CASE WHEN prev_channel IS NOT NULL AND prev_channel <> channel THEN 1 ELSE 0 END) AS switches,
    MAX(CASE WHEN prev_channel IS NOT NULL AND prev_channel <> channel AND resolved THEN 1 ELSE 0 END) AS cross_resolved,
    COUNT(handle) AS n_handled,
    CAST(CAST(SUM(handle) AS FLOAT) AS DOUBLE) AS handle_sum,
    CAST(CAST(SUM(CAST(CAST(cost_eff AS FLOAT) AS DOUBLE)) AS FLOAT) AS DOUBLE) AS cost_sum,
    MAX(CASE WHEN resolved AND k_last_of_kind = 1 THEN
          CAST(CAST((CASE WHEN close_after IS NOT NULL THEN arrived_s + close_after
                          WHEN handle IS NOT NULL THEN arrived_s + handle END) - case_first_at AS FLOAT) AS DOUBLE)
        END) AS resolution_s
  FROM ordered
  GROUP BY case_key
),
rows AS (
  SELECT o.*,
    cs.n_contacts, cs.is_resolved, cs.n_channels, cs.switches, cs.cross_resolved,
    cs.n_handled, cs.handle_sum AS case_handle, cs.cost_sum AS case_cost_v, cs.resolution_s
  FROM ordered o
  LEFT JOIN cases cs ON cs.case_key = o.case_key  -- used on the case's first contact only
)
SELECT * FROM rows;

WITH
cells AS (
  SELECT hour_s, channel, team, topic, segment, region, priority,
    COUNT(*) AS contacts,
    SUM(CASE WHEN csat IS NOT NULL THEN 1 ELSE 0 END) AS csat_n,
    SUM(CAST(csat AS DOUBLE)) AS csat_sum,
    SUM(CAST(csat * csat AS DOUBLE)) AS csat_sum_sq,
    SUM(CASE WHEN csat >= 4 THEN 1 ELSE 0 END) AS csat_satisfied,
    SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END) AS nps_promoters,
    SUM(CASE WHEN nps IN (7, 8) THEN 1 ELSE 0 END) AS nps_passives,
    SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END) AS nps_detractors,
    SUM(CASE WHEN ces IS NOT NULL THEN 1 ELSE 0 END) AS ces_n,
    SUM(CAST(ces AS DOUBLE)) AS ces_sum,
    SUM(CAST(ces * ces AS DOUBLE)) AS ces_sum_sq,
    SUM(CASE WHEN close_after IS NOT NULL AND (csat IS NOT NULL OR nps IS NOT NULL OR ces IS NOT NULL) THEN 1 ELSE 0 END) AS survey_num,
    SUM(CASE WHEN close_after IS NOT NULL THEN 1 ELSE 0 END) AS survey_den,
    SUM(CASE WHEN fr IS NOT NULL AND resolved THEN 1 ELSE 0 END) AS resolution_num,
    SUM(CASE WHEN fr IS NOT NULL THEN 1 ELSE 0 END) AS resolution_den,
    COUNT(handle) AS handle_n,
    SUM(handle) AS handle_sum,
    SUM(handle * handle) AS handle_sum_sq,
    COUNT(fr) AS first_response_n,
    SUM(fr) AS first_response_sum,
    SUM(fr * fr) AS first_response_sum_sq,
    SUM(CASE WHEN fr IS NOT NULL AND sla_met THEN 1 ELSE 0 END) AS sla_num,
    SUM(CASE WHEN fr IS NOT NULL OR abandoned THEN 1 ELSE 0 END) AS sla_den,
    SUM(CASE WHEN abandoned THEN 1 ELSE 0 END) AS abandoned,
    -- A NULL abandoned: the source did not say; outside the abandonment rate.
    SUM(CASE WHEN abandoned IS NULL THEN 1 ELSE 0 END) AS abandon_unknown,
    SUM(CASE WHEN (fr IS NOT NULL OR handle IS NOT NULL) AND transfers > 0 THEN 1 ELSE 0 END) AS transfer_num,
    SUM(CASE WHEN fr IS NOT NULL OR handle IS NOT NULL THEN 1 ELSE 0 END) AS transfer_den,
    SUM(CASE WHEN qa_w > 0 THEN 1 ELSE 0 END) AS qa_n,
    SUM(CASE WHEN qa_w > 0 THEN qa_num / qa_w END) AS qa_sum,
    SUM(CASE WHEN qa_w > 0 THEN (qa_num / qa_w) * (qa_num / qa_w) END) AS qa_sum_sq,
    SUM(CASE WHEN bot THEN 1 ELSE 0 END) AS bot,
    SUM(CASE WHEN bot AND resolved AND NOT handed_off THEN 1 ELSE 0 END) AS bot_contained,
    SUM(CASE WHEN bot AND handed_off THEN 1 ELSE 0 END) AS handed_off,
    COUNT(handoff) AS handoff_n,
    SUM(handoff) AS handoff_sum,
    SUM(handoff * handoff) AS handoff_sum_sq,
    SUM(cost_eff) AS cost,
    COUNT(revenue) AS revenue_n,
    SUM(revenue) AS revenue_sum,
    SUM(revenue * revenue) AS revenue_sum_sq,
    COUNT(sentiment) AS sentiment_n,
    SUM(sentiment) AS sentiment_sum,
    SUM(sentiment * sentiment) AS sentiment_sum_sq,
    SUM(CASE WHEN sentiment < 0 THEN 1 ELSE 0 END) AS sentiment_negative,
    SUM(CASE WHEN k_in_case = 1 THEN 1 ELSE 0 END) AS cases,
    SUM(CASE WHEN k_in_case = 1 AND is_resolved = 1 THEN 1 ELSE 0 END) AS cases_resolved,
    SUM(CASE WHEN k_in_case = 1 AND is_resolved = 1 AND n_contacts = 1 THEN 1 ELSE 0 END) AS cases_fcr,
    SUM(CASE WHEN k_in_case = 1 AND n_handled > 0 THEN 1 ELSE 0 END) AS case_handle_n,
    SUM(CASE WHEN k_in_case = 1 AND n_handled > 0 THEN case_handle END) AS case_handle_sum,
    SUM(CASE WHEN k_in_case = 1 AND n_handled > 0 THEN case_handle * case_handle END) AS case_handle_sum_sq,
    SUM(CASE WHEN k_in_case = 1 AND is_resolved = 1 AND resolution_s IS NOT NULL THEN 1 ELSE 0 END) AS case_resolution_n,
    SUM(CASE WHEN k_in_case = 1 AND is_resolved = 1 THEN resolution_s END) AS case_resolution_sum,
    SUM(CASE WHEN k_in_case = 1 AND is_resolved = 1 THEN resolution_s * resolution_s END) AS case_resolution_sum_sq,
    SUM(CASE WHEN k_in_case = 1 AND n_channels > 1 THEN 1 ELSE 0 END) AS cases_migrated,
    SUM(CASE WHEN k_in_case = 1 THEN switches ELSE 0 END) AS case_switches,
    SUM(CASE WHEN k_in_case = 1 AND switches > 0 THEN 1 ELSE 0 END) AS cases_switched,
    SUM(CASE WHEN k_in_case = 1 THEN cross_resolved ELSE 0 END) AS cases_cross_resolved,
    SUM(CASE WHEN k_in_case = 1 THEN case_cost_v END) AS case_cost
  FROM cube_rows
  GROUP BY hour_s, channel, team, topic, segment, region, priority
),
-- Durations of the five histograms, in long form: kind 0 handle, 1 first response, 2 handoff,
-- 3 handle per case, 4 resolution time per case.
hist_values AS (
  SELECT hour_s, channel, team, topic, segment, region, priority, 0 AS kind, handle AS x FROM cube_rows WHERE handle IS NOT NULL
  UNION ALL
  SELECT hour_s, channel, team, topic, segment, region, priority, 1 AS kind, fr AS x FROM cube_rows WHERE fr IS NOT NULL
  UNION ALL
  SELECT hour_s, channel, team, topic, segment, region, priority, 2 AS kind, handoff AS x FROM cube_rows WHERE handoff IS NOT NULL
  UNION ALL
  SELECT hour_s, channel, team, topic, segment, region, priority, 3 AS kind, case_handle AS x FROM cube_rows WHERE k_in_case = 1 AND n_handled > 0
  UNION ALL
  SELECT hour_s, channel, team, topic, segment, region, priority, 4 AS kind, resolution_s AS x FROM cube_rows WHERE k_in_case = 1 AND is_resolved = 1 AND resolution_s IS NOT NULL
),
-- The engine's buckets: 1 s wide below 120 s, then [120 * 1.02^k, 120 * 1.02^(k+1)) is bucket
-- 120 + k. Values are f32 (as the engine stores them), and no f32 lies within 1e-12 of an edge,
-- so floor(ln(x / 120) / ln(1.02)) gives the engine's bucket on any engine (docs/cube.md).
hist_buckets AS (
  SELECT hour_s, channel, team, topic, segment, region, priority, kind,
    CASE WHEN NOT (x > 0) THEN 0
         WHEN x < 120 THEN CAST(floor(x) AS BIGINT)
         ELSE 120 + CAST(floor(ln(x / 120) / ln(CAST(1.02 AS DOUBLE))) AS BIGINT)
    END AS b,
    COUNT(*) AS n
  FROM hist_values
  GROUP BY hour_s, channel, team, topic, segment, region, priority, kind,
    CASE WHEN NOT (x > 0) THEN 0
         WHEN x < 120 THEN CAST(floor(x) AS BIGINT)
         ELSE 120 + CAST(floor(ln(x / 120) / ln(CAST(1.02 AS DOUBLE))) AS BIGINT)
    END
),
hist_text AS (
  SELECT hour_s, channel, team, topic, segment, region, priority, kind,
    array_join(array_sort(array_agg(concat(CAST(b AS STRING), ':', CAST(n AS STRING)))), ' ') AS txt
  FROM hist_buckets
  GROUP BY hour_s, channel, team, topic, segment, region, priority, kind
),
hists AS (
  SELECT hour_s, channel, team, topic, segment, region, priority,
    MAX(CASE WHEN kind = 0 THEN txt END) AS handle_hist,
    MAX(CASE WHEN kind = 1 THEN txt END) AS first_response_hist,
    MAX(CASE WHEN kind = 2 THEN txt END) AS handoff_hist,
    MAX(CASE WHEN kind = 3 THEN txt END) AS case_handle_hist,
    MAX(CASE WHEN kind = 4 THEN txt END) AS case_resolution_hist
  FROM hist_text
  GROUP BY hour_s, channel, team, topic, segment, region, priority
),
-- Customers of the cases that start in the cell, a second case marked *2.
cust_counts AS (
  SELECT hour_s, channel, team, topic, segment, region, priority, customer_id,
    LEAST(COUNT(*), 2) AS n
  FROM cube_rows
  WHERE k_in_case = 1 AND customer_id <> ''
  GROUP BY hour_s, channel, team, topic, segment, region, priority, customer_id
),
custs AS (
  SELECT hour_s, channel, team, topic, segment, region, priority,
    array_join(array_sort(array_agg(concat(
      replace(replace(replace(customer_id, '%', '%25'), ' ', '%20'), '*', '%2A'),
      CASE WHEN n > 1 THEN '*2' ELSE '' END))), ' ') AS customers
  FROM cust_counts
  GROUP BY hour_s, channel, team, topic, segment, region, priority
)
SELECT
  c.hour_s AS hour, c.channel, c.team, c.topic, c.segment, c.region, c.priority,
  c.contacts, c.csat_n, c.csat_sum, c.csat_sum_sq, c.csat_satisfied,
  c.nps_promoters, c.nps_passives, c.nps_detractors,
  c.ces_n, c.ces_sum, c.ces_sum_sq,
  c.survey_num, c.survey_den, c.resolution_num, c.resolution_den,
  c.handle_n, c.handle_sum, c.handle_sum_sq,
  c.first_response_n, c.first_response_sum, c.first_response_sum_sq,
  c.sla_num, c.sla_den, c.abandoned, c.abandon_unknown, c.transfer_num, c.transfer_den,
  c.qa_n, c.qa_sum, c.qa_sum_sq,
  c.bot, c.bot_contained, c.handed_off,
  c.handoff_n, c.handoff_sum, c.handoff_sum_sq,
  c.cost, c.revenue_n, c.revenue_sum, c.revenue_sum_sq,
  c.sentiment_n, c.sentiment_sum, c.sentiment_sum_sq, c.sentiment_negative,
  c.cases, c.cases_resolved, c.cases_fcr,
  c.case_handle_n, c.case_handle_sum, c.case_handle_sum_sq,
  c.case_resolution_n, c.case_resolution_sum, c.case_resolution_sum_sq,
  c.cases_migrated, c.case_switches, c.cases_switched, c.cases_cross_resolved, c.case_cost,
  h.handle_hist, h.first_response_hist, h.handoff_hist, h.case_handle_hist, h.case_resolution_hist,
  u.customers
FROM cells c
LEFT JOIN hists h
  ON h.hour_s = c.hour_s AND h.channel = c.channel AND h.team = c.team AND h.topic = c.topic
  AND h.segment = c.segment AND h.region = c.region AND h.priority = c.priority
LEFT JOIN custs u
  ON u.hour_s = c.hour_s AND u.channel = c.channel AND u.team = c.team AND u.topic = c.topic
  AND u.segment = c.segment AND u.region = c.region AND u.priority = c.priority
ORDER BY c.hour_s, c.channel, c.team, c.topic, c.segment, c.region, c.priority
