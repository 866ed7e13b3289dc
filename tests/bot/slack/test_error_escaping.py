"""User text quoted in an error reaches Slack as text: `<!channel>` typed in a State field is
escaped in the slash command's answer and in the modal's errors, never a broadcast."""

from __future__ import annotations

import json

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, submission
from tests.fakes.signing import select_state


async def test_a_state_quoted_in_a_slash_command_error_is_escaped(bot: BotUnderTest) -> None:
    answer = await bot.ask(ANA, "status <!channel> & <https://evil.example|x> land")
    assert "I know no State, committee or case called" in answer["text"]
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;" in answer["text"]
    assert "<!channel>" not in json.dumps(answer) and "<https://" not in json.dumps(answer)


async def test_a_state_quoted_in_the_modals_errors_is_escaped(bot: BotUnderTest) -> None:
    forged = select_state("<!channel> Atlantis", type="external_select")
    status, body = await bot.interact(submission(ANA, "V0ESCAPE1", state_party=forged))
    assert status == 200 and body["response_action"] == "errors"
    assert "&lt;!channel&gt; Atlantis" in body["errors"]["state_party"]
    assert "<!channel>" not in json.dumps(body)
