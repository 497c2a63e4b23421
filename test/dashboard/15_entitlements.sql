-- Dashboard: entitlements per tier (domain.md §3) and the upgrade plan (§5).
\echo
\echo '== Entitlements: the tiered service standard (c = ordinary-customer standard) =='
SELECT tier, tier_label_zh AS label,
       coalesce(hotline_access || CASE WHEN hotline_max_ivr_options > 0
                                       THEN ' <=' || hotline_max_ivr_options ELSE '' END, '-') AS hotline,
       overdraft_monthly_credit || coalesce(' (<=' || overdraft_per_request_cap || '/req)', '') AS overdraft,
       coalesce(suspension_warning_by, '-') AS warned_by,
       CASE WHEN lecture_hall_unlimited_with_points THEN 'unlimited, points'
            ELSE lecture_hall_free_visits::text END AS lecture_hall,
       birthday_gift_cap AS gift, sim_replacements AS sim,
       CASE WHEN NOT car_club THEN '-'
            WHEN car_club_free_service_cap IS NOT NULL THEN 'free <=' || car_club_free_service_cap
            WHEN car_club_points_per_year > 0 THEN '-' || car_club_points_per_year || ' pts/yr'
            ELSE 'no points' END AS car_club,
       concat_ws(' ', CASE WHEN alliance_merchants THEN 'alliance' END,
                      CASE WHEN phone_manager THEN 'phone_mgr' END,
                      CASE WHEN multimedia_manager THEN 'mm_mgr' END,
                      CASE WHEN community THEN 'community' END) AS services,
       experience_vouchers AS vouchers
  FROM custvalue.tier_entitlements;

\echo '== Entitlements: what the customers of each tier are owed (customers not churned) =='
SELECT tier,
       count(*) AS customers,
       sum(overdraft_monthly_credit) AS overdraft_credit_per_month,
       sum(birthday_gift_cap) AS birthday_gifts_max_per_year,
       sum(sim_replacements) AS free_sims_per_period,
       sum(experience_vouchers) AS vouchers_per_period,
       count(*) FILTER (WHERE phone_manager) AS with_phone_manager
  FROM custvalue.customer_entitlements
 WHERE status <> 'churned'
 GROUP BY tier
 ORDER BY custvalue.tier_rank(tier) DESC;

\echo '== Upgrade plan: customers an upgrade offer reaches, and the mean prestore (not churned) =='
SELECT current_tier, target_tier, count(*) AS customers,
       round(avg(prestore), 2) AS mean_prestore, min(prestore) AS min_prestore
  FROM custvalue.upgrade_offer
 GROUP BY current_tier, target_tier
 ORDER BY custvalue.tier_rank(current_tier) DESC, custvalue.tier_rank(target_tier);
