/** Service identifiers for the container, one per port, adapter resource and use case. */
export const TOKENS = {
  Logger: Symbol('Logger'),
  Orm: Symbol('MikroORM'),
  BetterAuth: Symbol('BetterAuth'),
  Clock: Symbol('Clock'),
  IdGenerator: Symbol('IdGenerator'),
  TaskRepository: Symbol('TaskRepository'),
  TokenVerifier: Symbol('TokenVerifier'),
  ReadinessProbe: Symbol('ReadinessProbe'),
  AuthenticateUseCase: Symbol('AuthenticateUseCase'),
  CreateTaskUseCase: Symbol('CreateTaskUseCase'),
  ListTasksUseCase: Symbol('ListTasksUseCase'),
  GetTaskUseCase: Symbol('GetTaskUseCase'),
  UpdateTaskUseCase: Symbol('UpdateTaskUseCase'),
  ToggleTaskCompletionUseCase: Symbol('ToggleTaskCompletionUseCase'),
  DeleteTaskUseCase: Symbol('DeleteTaskUseCase'),
  CheckReadinessUseCase: Symbol('CheckReadinessUseCase'),
} as const;
