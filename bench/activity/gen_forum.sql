-- The forum side of the activity benchmark: 10 sections, 100 boards, 300,000 threads,
-- 6,000,000 posts over 30 days and 3,000,000 likes. Run after gen_members.sql (about 4 min).
SET synchronous_commit = off;
\timing on
INSERT INTO forum_section (name,slug,description,position) SELECT 'S'||g,'s'||g,'',g FROM generate_series(1,10) g;
INSERT INTO forum_board (name,slug,description,position,visibility,posting,channel,thread_count,post_count,last_thread_title,last_poster_name,section_id)
SELECT 'B'||g,'b'||g,'',g,'everyone','members','',0,0,'','', (SELECT min(id) FROM forum_section) + (g % 10) FROM generate_series(1,100) g;
INSERT INTO forum_thread (title,slug,thread_type,author_name,firmware_version,is_pinned,is_locked,is_featured,is_hidden,last_floor,reply_count,view_count,created_at,last_posted_at,last_poster_name,author_id,board_id,bug_status,fixed_in_version,hidden_by_name,hidden_reason,is_announcement,
                          slow_mode_seconds,is_pending,pending_count)
SELECT 't'||g,'t','discussion','x','',false,false,false,false,20,19,0,
       date_trunc('day', now()) - ((g % 30) * interval '1 day') + (g % 80000) * interval '1 second', now(), 'x',
       1 + (g::bigint * 7919) % 1000000, (SELECT min(id) FROM forum_board) + g % 100,'','','','',false,0,false,0
FROM generate_series(1,300000) g;
ALTER TABLE forum_post DISABLE TRIGGER ALL;
DROP INDEX IF EXISTS post_search_gin;
INSERT INTO forum_post (floor,author_name,source,html,render_version,is_hidden,created_at,updated_at,author_id,thread_id,edit_count,like_count,search_text,hidden_by_name,hidden_reason,is_helpful,
                        is_pending,pending_reason)
SELECT f,'x','x','x',1,false, t.created_at + f * interval '1 minute', now(), 1 + (t.id * 31 + f * 7717) % 1000000, t.id,0,0,'','','',false,false,''
FROM forum_thread t, generate_series(1,20) f;
ALTER TABLE forum_post ENABLE TRIGGER ALL;
INSERT INTO forum_postlike (created_at,post_id,user_id)
SELECT p.created_at + interval '5 minutes', p.id, 1 + (p.id * 13) % 1000000 FROM forum_post p WHERE p.id % 2 = 0;
VACUUM ANALYZE;
