"""Three replicas start together on an empty schema, fan notices (and some corrections) out through a faulty Slack,
two die: one copy of each, in planned order."""

from __future__ import annotations

from collections import Counter

from conftest import SOAK
from faulty_slack import FaultySlack
from replica_worker import KILLS, SEED, bad_day, channel_name, figures, posted_texts, run_replicas

CHANNELS = 600 if SOAK else 200


async def test_replicas_on_a_bad_slack_day_post_each_notice_and_correction_once_in_order(
    postgres_factory, counts
) -> None:
    database_factory = postgres_factory  # replicas share a queue only on PostgreSQL (SKIP LOCKED claims)
    fake = await FaultySlack(bad_day(), seed=SEED).start()
    try:
        run = await run_replicas(
            database_factory.url,
            database_factory.pg_schema,
            fake.api_url,
            CHANNELS,
            KILLS,
            timeout=300 if SOAK else 150,  # a bound, not a target
            corrections=4,  # every fourth channel also gets a correction, which must follow its notice
        )
    finally:
        await fake.close()
    found = figures(fake, run, CHANNELS)
    counts(
        database_factory.backend,
        channels=CHANNELS,
        replicas=len(KILLS),
        killed_after_posts=[k for k in KILLS if k],
        **{key.replace(" ", "_"): value for key, value in found.items()},
    )
    for kill, code, output in zip(KILLS, run.codes, run.outputs, strict=True):
        if kill is None:  # 3: it ran out of time with work left, which the row states below show
            assert code in (0, 3), f"a surviving replica crashed (exit {code}):\n{output[-3000:]}"
        else:
            assert code == -9, f"the replica due to die after {kill} posts exited with {code}:\n{output[-3000:]}"
    posted = {channel_name(n): posted_texts(fake, channel_name(n)) for n in range(CHANNELS)}
    wrong = {channel: texts for channel, texts in posted.items() if texts != run.planned[channel]}
    assert not wrong, (
        f"{found['duplicates']} extra copies, {found['lost']} posts missing, {found['out of order']} channels out "
        f"of order ({found['resets']} posts reset after storing); posted where it differs from the plan: {wrong}"
    )
    assert sum(len(texts) for texts in run.planned.values()) == CHANNELS + CHANNELS // 4
    assert run.states == Counter(sent=CHANNELS + CHANNELS // 4), "; ".join(run.outputs)
    assert fake.violations == []
