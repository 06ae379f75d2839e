-- Admission in one statement: `select * from place_hold(...)`. One round trip instead of nine, and the
-- rows are locked (operator, tenant, member, always in that order, so no deadlock) only for the time the
-- function runs and its commit, not across client round trips. Every check is made before anything is
-- written, so a refusal writes nothing. A job that already has a hold gets it back unchanged.
CREATE OR REPLACE FUNCTION place_hold(
  p_job_id text,
  p_tenant_id uuid,
  p_user_id text,
  p_period text,
  p_day text,
  p_amount bigint,
  p_limit bigint,
  p_user_daily_limit bigint,
  p_operator_cap bigint
) RETURNS TABLE (ok boolean, reason text, period text, amount_nanos bigint, limit_nanos bigint, spent_nanos bigint, held_nanos bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_spent bigint;
  v_held bigint;
  v_previous record;
BEGIN
  SELECT h.period, h.amount_nanos INTO v_previous FROM holds h WHERE h.job_id = p_job_id;
  IF FOUND THEN
    RETURN QUERY SELECT true, NULL::text, v_previous.period, v_previous.amount_nanos, NULL::bigint, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;

  IF p_operator_cap IS NOT NULL THEN
    -- Created with what tenants already spent and hold this month, so a cap set mid-month counts them.
    INSERT INTO operator_budgets (period, spent_nanos, held_nanos)
      SELECT p_period, coalesce(sum(b.spent_nanos), 0), coalesce(sum(b.held_nanos), 0)
        FROM budgets b WHERE b.period = p_period
      ON CONFLICT ON CONSTRAINT operator_budgets_pkey DO NOTHING;
    SELECT o.spent_nanos, o.held_nanos INTO v_spent, v_held FROM operator_budgets o WHERE o.period = p_period FOR UPDATE;
    IF v_spent + v_held + p_amount > p_operator_cap THEN
      RETURN QUERY SELECT false, 'operator_cap'::text, p_period, NULL::bigint, p_operator_cap, v_spent, v_held;
      RETURN;
    END IF;
  ELSE
    PERFORM 1 FROM operator_budgets o WHERE o.period = p_period FOR UPDATE;
  END IF;

  INSERT INTO budgets (tenant_id, period, limit_nanos) VALUES (p_tenant_id, p_period, p_limit)
    ON CONFLICT ON CONSTRAINT budgets_tenant_id_period_pk DO NOTHING;
  SELECT b.spent_nanos, b.held_nanos INTO v_spent, v_held
    FROM budgets b WHERE b.tenant_id = p_tenant_id AND b.period = p_period FOR UPDATE;
  IF v_spent + v_held + p_amount > p_limit THEN
    RETURN QUERY SELECT false, 'tenant_limit'::text, p_period, NULL::bigint, p_limit, v_spent, v_held;
    RETURN;
  END IF;

  INSERT INTO user_spend (tenant_id, user_id, day) VALUES (p_tenant_id, p_user_id, p_day)
    ON CONFLICT ON CONSTRAINT user_spend_tenant_id_user_id_day_pk DO NOTHING;
  SELECT u.spent_nanos, u.held_nanos INTO v_spent, v_held
    FROM user_spend u WHERE u.tenant_id = p_tenant_id AND u.user_id = p_user_id AND u.day = p_day FOR UPDATE;
  IF p_user_daily_limit IS NOT NULL AND v_spent + v_held + p_amount > p_user_daily_limit THEN
    RETURN QUERY SELECT false, 'user_daily_limit'::text, p_period, NULL::bigint, p_user_daily_limit, v_spent, v_held;
    RETURN;
  END IF;

  UPDATE operator_budgets o SET held_nanos = o.held_nanos + p_amount WHERE o.period = p_period;
  UPDATE budgets b SET held_nanos = b.held_nanos + p_amount, limit_nanos = p_limit, updated_at = now()
    WHERE b.tenant_id = p_tenant_id AND b.period = p_period;
  UPDATE user_spend u SET held_nanos = u.held_nanos + p_amount
    WHERE u.tenant_id = p_tenant_id AND u.user_id = p_user_id AND u.day = p_day;
  INSERT INTO holds (job_id, tenant_id, user_id, period, day, amount_nanos)
    VALUES (p_job_id, p_tenant_id, p_user_id, p_period, p_day, p_amount);
  RETURN QUERY SELECT true, NULL::text, p_period, p_amount, NULL::bigint, NULL::bigint, NULL::bigint;
END;
$$;
