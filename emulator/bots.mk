# Rules for the offline bots (included by the root Makefile). Each bot follows the bot contract
# (core/examples/bot.rs describes it) and runs end to end through scripts/bot-demo.py: a fresh
# emulator, a webhook to the bot, an end user writing "hello" then "agent", checks on the
# bot's reply, its quick replies and the handoff to the agent.
#   make test-bots-rust   the Rust bot (core/examples/bot.rs): its unit tests, then end to end
# BOT_DEMO runs any bot command through the harness: $(BOT_DEMO) path/to/bot args...
.PHONY: test-bots-rust

BOT_DEMO = python3 scripts/bot-demo.py --emulator $(EMULATOR) --

test-bots-rust: build
	$(CARGO) test -p sunco --example bot
	$(BOT_DEMO) $(DEBUG_DIR)/examples/bot
