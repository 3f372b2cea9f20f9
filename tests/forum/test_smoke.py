from tests.factories import make_reply, make_thread


def test_reply_takes_next_floor(db):
    thread = make_thread()
    post = make_reply(thread=thread)
    assert post.floor == 2
