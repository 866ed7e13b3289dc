"""The console adapter: the same commands as Slack, typed (or piped) in a terminal."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterable
from typing import TextIO

from bot.console.deliverer import ConsoleDeliverer, printable
from bot.console.replies import reply_for
from bot.delivery.worker import OutboxWorker
from bot.rendering.incidents import words_for
from bot.services import Services
from bot.verbs import VERBS, Answer
from commands import act, erase, report
from commands.dispatch import dispatch
from commands.errors import FormInvalid
from commands.form import FIELDS, FIELDS_BY_NAME, Field, Kind, validate_field
from commands.invocation import Invocation, parse
from commands.results import CaseForm, EraseConfirmation, ReportForm, Result
from commands.roles import Actor
from storage.reference import find_states

PROMPT = "reprisal> "

# A cross-check names one field but is fixed in either: ask both again, or it never ends.
ASKED_WITH = {"confidentiality": ("consents",), "acts_other": ("acts",)}


class InputEnded(Exception):
    """Standard input closed in the middle of a question."""


class Shell:
    def __init__(
        self, services: Services, actor: Actor, stdin: TextIO, write: Callable[[str], None]
    ):
        self._services = services
        self._actor = actor
        self._stdin = stdin
        # The console's one output edge: names and answers come from people, so nothing in
        # them may drive the terminal.
        self._write: Callable[[str], None] = lambda text: write(printable(text))
        self._core = services.core("console")
        self._worker = OutboxWorker(services, ConsoleDeliverer(services.renderer, self._write))

    async def loop(self) -> None:
        self._write(f"Signed in as {self._actor.name}. Type `help`, or `quit` to leave.\n")
        while True:
            try:
                line = await self._ask(PROMPT)
            except InputEnded:
                return
            text = line.strip().removeprefix("/reprisal").strip()
            if text in ("quit", "exit"):
                return
            if text:
                await self.execute(text)

    async def execute(self, text: str) -> None:
        """Run one command line and show its answer and what the bot would post."""
        verb, args = parse(text)
        try:
            result = await dispatch(Invocation(self._actor, verb, args), self._core, VERBS)
            if isinstance(result, ReportForm):
                result = await self._fill(result)
            elif isinstance(result, CaseForm):
                result = await self._fill_case_form(result)
            self._show(result)
            if isinstance(result, EraseConfirmation):
                await self._confirm_erase(result.reference)
        except InputEnded:
            self._write(
                "\nCancelled: the input ended before the form was complete. Nothing was saved.\n"
            )
        except Exception as problem:
            self._write(words_for(problem) + "\n")
        await self._worker.deliver_due()

    async def _fill(self, form: ReportForm) -> Result:
        """Ask each question in turn, re-asking until the answer is valid, then submit."""
        answers: dict[str, str | list[str] | None] = {}
        pending = list(form.fields)
        key = f"console:{uuid.uuid4()}"
        while True:
            for field in pending:
                answers[field.name] = await self._question(field, form.defaults.get(field.name))
            try:
                return await report.submit(
                    answers, actor=self._actor, core=self._core, idempotency_key=key
                )
            except FormInvalid as invalid:
                for name, message in invalid.errors.items():
                    self._write(f"  ! {FIELDS_BY_NAME[name].label}: {message}\n")
                pending = to_ask_again(invalid.errors)

    async def _fill_case_form(self, form: CaseForm) -> Result:
        """The same questions as the Slack form, asked in turn; then the action is recorded."""
        self._write(f"\n{form.title}: {form.reference}\n")
        fields = {f.name: f for f in form.fields}
        answers: dict[str, str | list[str] | None] = {}
        pending = list(form.fields)
        while True:
            for field in pending:
                default = form.defaults.get(field.name)
                shown = ",".join(default) if isinstance(default, tuple) else default
                answers[field.name] = await self._question(field, str(shown) if shown else None)
            try:
                return await act.submit(
                    form.mode, form.reference, answers, actor=self._actor, core=self._core
                )
            except FormInvalid as invalid:
                for name, message in invalid.errors.items():
                    self._write(f"  ! {fields[name].label}: {message}\n")
                pending = [fields[name] for name in invalid.errors]

    async def _confirm_erase(self, reference: str) -> None:
        """Only the reference typed again erases: `erase REF confirm` in one go does not."""
        typed = await self._ask("Type the reference again to erase it (anything else keeps it): ")
        if typed.strip().upper() != reference:
            self._write("Not confirmed: nothing was erased.\n")
            return
        self._show(await erase.confirm(reference, actor=self._actor, core=self._core))

    async def _question(self, field: Field, default: str | tuple[str, ...] | None):
        self._write(f"\n{field.label}{'' if field.required else ' (optional)'}\n")
        if field.hint:
            self._write(f"  {field.hint}\n")
        for number, (code, label) in enumerate(field.options, start=1):
            self._write(f"  {number:>2}. {label} [{code}]\n")
        if field.kind is Kind.MULTI:
            self._write("  Several answers: separate them with commas.\n")
        while True:
            shown = f" [{default}]" if isinstance(default, str) else ""
            answer = (await self._ask(f"  >{shown} ")).strip() or (default or "")
            # A multi-select's default (a tuple) left as it is reads as no answer.
            typed = answer if isinstance(answer, str) else ""
            raw = self._interpret(field, typed)
            try:
                validate_field(field, raw, today=self._services.clock.today())
                return raw
            except ValueError as problem:
                self._write(f"  ! {problem}\n")
                if field.kind is Kind.STATE and typed:
                    self._suggest(typed)

    def _interpret(self, field: Field, answer: str) -> str | list[str] | None:
        if not answer:
            return None
        if not field.options:
            return answer.replace("\\n", "\n") if field.kind is Kind.LONGTEXT else answer
        parts = [p.strip() for p in answer.split(",")] if field.kind is Kind.MULTI else [answer]
        codes = [_option_code(field, part) for part in parts if part]
        return codes if field.kind is Kind.MULTI else codes[0]

    def _suggest(self, text: str) -> None:
        matches = find_states(text, limit=8)
        if matches:
            self._write("  Did you mean: " + "; ".join(matches) + "\n")

    def _show(self, result: Answer) -> None:
        self._write(reply_for(result, self._services.renderer))

    async def _ask(self, prompt: str) -> str:
        self._write(prompt)
        line = await asyncio.to_thread(self._stdin.readline)
        if not line:
            raise InputEnded()
        if not self._stdin.isatty():
            self._write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")


def to_ask_again(errors: Iterable[str]) -> list[Field]:
    """The fields to ask again after these errors, with those they are checked against."""
    names = {n for name in errors for n in (name, *ASKED_WITH.get(name, ()))}
    return [field for field in FIELDS if field.name in names]


def _option_code(field: Field, part: str) -> str:
    if part.isdigit() and 1 <= int(part) <= len(field.options):
        return field.options[int(part) - 1][0]
    return part
