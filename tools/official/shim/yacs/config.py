"""yacs.config.CfgNode as far as Cream's lib/config.py uses it: a dict whose keys are also attributes.
No merging from files or freezing: the models are built from explicit arguments, not from cfg."""


class CfgNode(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)

    def __setattr__(self, name, value):
        self[name] = value
