-- Generates the activity benchmark's members: 1,000,000 users and 30 days of
-- DailyActivity for every one of them (30,000,000 rows, the worst case).
-- psql -h 127.0.0.1 -U postgres -d <scratch db, migrated> -f gen_members.sql   (about 10 min)
\timing on
SET synchronous_commit = off;
-- 1,000,000 members joined over two years; reputation skewed so ~6% reach Senior (1000).
INSERT INTO accounts_user (password,is_superuser,username,first_name,last_name,email,is_staff,is_active,date_joined,display_name,avatar,signature,post_count,thread_count,auto_watch,notification_settings,unread_notifications,reputation,is_global_moderator,days_visited,silence_reason,suspension_reason,core_lock,is_core,
                          check_in_streak,best_check_in_streak)
SELECT '!',false,'u'||g,'','','u'||g||'@example.com',false,true,
       now() - (g % 730) * interval '1 day' - (g % 86400) * interval '1 second','','','',0,0,true,'{}',0,
       (power(random(),6)*8000)::int,false,0,'','','',false,0,0
FROM generate_series(1,1000000) g;
-- 30 days of activity: every member every day = 30,000,000 rows (the worst case);
-- posts/likes on a fraction of days.
INSERT INTO accounts_dailyactivity (user_id,day,visited,posts,threads,likes_given,likes_received)
SELECT u.id, d::date, true,
       CASE WHEN (u.id + d_i) % 7 = 0 THEN 1 ELSE 0 END,
       CASE WHEN (u.id + d_i) % 50 = 0 THEN 1 ELSE 0 END,
       CASE WHEN (u.id + d_i) % 5 = 0 THEN 2 ELSE 0 END,
       CASE WHEN (u.id + d_i) % 11 = 0 THEN 1 ELSE 0 END
FROM accounts_user u,
     generate_series(0,29) d_i,
     LATERAL (SELECT (current_date - d_i) AS d) dd;
VACUUM ANALYZE;
