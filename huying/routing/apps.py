from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "huying.routing"
    label = "routing"
    verbose_name = "分派 Routing"

    def ready(self):
        from huying import memo
        from huying.cases.models import Category
        from huying.org.models import Unit
        from huying.routing.models import Rule
        from huying.routing.responsibility import RULES

        # Rules name units and hang on categories: a change to any of them
        # clears this process's copy of the rules at once.
        for model in (Rule, Unit, Category):
            memo.forget_on_change(model, RULES)
