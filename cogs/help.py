"""/help: every command with what it is for and an example. No experiment, answered at once."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import NonlinearBot
from bot.cards import COLOR_INFO
from bot.replies import NO_MENTIONS

START_HERE = "Start here: `/xor linear`, then `/explain topic:xor`."

# qualified command name → (what it is for, an example). A test fails if a command is missing.
HELP: dict[str, tuple[str, str]] = {
    "xor linear": ("Fit one line to XOR; the proof that no line works", "/xor linear"),
    "xor squash": ("Does squashing one line help? (no, unless it is non-monotone)", "/xor squash"),
    "xor neuron": ("Train a single unit with any activation on XOR", "/xor neuron activation:sin"),
    "xor mlp": (
        "Train a small network on XOR and see its hidden decisions",
        "/xor mlp hidden:2 activation:relu seed:3",
    ),
    "xor stats": (
        "How often does training solve XOR? Success rates over 1000 seeds, and why runs fail",
        "/xor stats hidden:2,4,8 activation:tanh,relu",
    ),
    "collapse": (
        "Stack layers and multiply them into one matrix (or fail to)",
        "/collapse layers:5 between:tanh",
    ),
    "activation": (
        "An activation's shape, range, derivative and float facts; or your own",
        "/activation custom:x*sin(x)",
    ),
    "learnable": (
        "Learn the activation (PReLU, Swish-β, sine phase, Fourier, rational, a KAN layer) vs "
        "keep it fixed",
        "/learnable kind:prelu task:xor",
    ),
    "explain": ("A pinnable explanation with a figure and references", "/explain topic:universal"),
    "claim": (
        "Is a claim true? Its verdict, why, and the experiment that shows it. Or right-click "
        "a message → Apps → Settle this",
        "/claim claim:linear layers",
    ),
    "approximate": (
        "Fit one hidden layer to a function: how the error falls with the units",
        "/approximate target:step units:64",
    ),
    "regions": (
        "The linear regions a ReLU network cuts the plane into, and how many",
        "/regions width:16 depth:3",
    ),
    "train": (
        "Watch a small network learn a 2-D dataset (GIF); compare:True trains relu, tanh, "
        "sigmoid, linear and sin side by side",
        "/train dataset:spiral compare:True",
    ),
    "help": ("This list", "/help"),
}


def command_names(tree: app_commands.CommandTree) -> list[str]:
    """Qualified names of every invocable slash command (subcommands included)."""
    names: list[str] = []
    for cmd in tree.walk_commands():
        if isinstance(cmd, app_commands.Command):
            names.append(cmd.qualified_name)
    return names


def footer(tree: app_commands.CommandTree) -> str:
    """Which options must be given (read from the tree, so it can't go stale)."""
    required = [
        f"/{cmd.qualified_name}'s {p.name}"
        for cmd in tree.walk_commands()
        if isinstance(cmd, app_commands.Command)
        for p in cmd.parameters
        if p.required
    ]
    which = f" except {', '.join(required)}" if required else ""
    return f"Every option is optional{which}; add private:true to preview a reply."


class Help(commands.Cog):
    def __init__(self, bot: NonlinearBot) -> None:
        self.bot = bot

    @app_commands.command(name="help")
    # Usable wherever someone can type it (resources/application "Installation Context",
    # interactions "Interaction Contexts"): help is wanted wherever the commands are.
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(private="Only you see the answer (default: only you)")  # default differs
    async def help(self, interaction: discord.Interaction, private: bool = True) -> None:
        """Every command, what it is for, and an example."""
        embed = discord.Embed(title="Nonlinear: commands", description=START_HERE, color=COLOR_INFO)
        for name in command_names(self.bot.tree):
            purpose, example = HELP.get(name, ("", f"/{name}"))
            embed.add_field(name=f"/{name}", value=f"{purpose}\ne.g. `{example}`", inline=False)
        embed.set_footer(text=footer(self.bot.tree))
        await interaction.response.send_message(
            embed=embed, ephemeral=private, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: NonlinearBot) -> None:
    await bot.add_cog(Help(bot))
