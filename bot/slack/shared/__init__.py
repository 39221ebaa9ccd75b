"""Primitives every Slack room uses: limits, ids, button values, layout, escaping, payload
reading, delivery, errors, the Web API client, listener routing and the services bundle."""
